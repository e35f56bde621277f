import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to file descriptors with plain POSIX `write`, retried on partial writes and EINTR.
/// (Foundation's `FileHandle.write(_: Data)` traps — a crash with a backtrace — when the write
/// fails, e.g. stdout on a full disk or closed; zong reports such a failure as one line, 73.)
public enum StandardStreams {
    /// Writes all of `bytes` to `fd`; nil on success, else the `errno` of the failed write.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard var p = bytes.baseAddress else { return nil }
        var left = bytes.count
        while left > 0 {
            let n = write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            p += n
            left -= n
        }
        return nil
    }

    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Writes to standard output; a failure is a `cantCreate` error naming the reason.
    static func writeStandardOutput(_ bytes: [UInt8]) throws(UsageError) {
        if let error = writeAll(1, bytes) {
            throw UsageError("zong: error: cannot write to standard output: \(String(cString: strerror(error)))",
                             exitStatus: ExitStatus.cantCreate)
        }
    }

    /// All of standard input (POSIX `read`: Foundation's `readDataToEndOfFile` traps when the
    /// read fails, e.g. stdin is a directory).
    static func readStandardInput() throws(UsageError) -> [UInt8] {
        guard let data = try readAll(0, limit: Int.max, name: "standard input") else { return [] }
        return data
    }

    /// All of `fd`, or nil as soon as it holds more than `limit` bytes (`/dev/zero` never
    /// ends): reading stops there, so memory stays bounded.
    static func readAll(_ fd: Int32, limit: Int, name: String) throws(UsageError) -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw UsageError("zong: error: cannot read \(name): \(String(cString: strerror(errno)))",
                                 exitStatus: ExitStatus.noInput)
            }
            if n == 0 { return data }
            if n > limit - data.count { return nil }
            data += buffer[0..<n]
        }
    }

    /// Keeps descriptors 0, 1 and 2 from being reused by the files zong opens when the caller
    /// started zong with one of them closed (`zong emit-c x.zong -o - >&-`): each closed one is
    /// opened read-only on /dev/null, so reading gives end of file and writing fails with EBADF
    /// (reported as an error) instead of going into some other file. Call once at startup.
    public static func reserveClosedDescriptors() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            let opened = open("/dev/null", O_RDONLY)
            if opened >= 0, opened != fd {
                dup2(opened, fd)
                close(opened)
            }
        }
    }
}

/// Writes `text` to standard error; false when it could not be written (nothing else to tell).
@discardableResult
func writeStandardError(_ text: String) -> Bool {
    StandardStreams.writeAll(2, Array(text.utf8)) == nil
}

@discardableResult
func writeStandardError(_ bytes: [UInt8]) -> Bool {
    StandardStreams.writeAll(2, bytes) == nil
}
