public enum ZongVersion {
    public static let string = "0.1.0"
}
