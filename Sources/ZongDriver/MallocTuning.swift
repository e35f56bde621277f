#if canImport(Glibc)
import Glibc
#endif

/// glibc's malloc grows each thread's heap by 128 KiB at a time and gives memory back whenever
/// 128 KiB are free at its top: on a 100k-line program that was 20,000 `mprotect` calls
/// (~8% of the wall time of `zong emit-c`). A compiler process allocates fast and exits soon,
/// so it grows in 64 MiB steps and keeps what it has; untouched pages still cost nothing.
/// (Setting these fixes glibc's mmap threshold at 128 KiB: the 100k-line compilation makes ~75
/// `mmap` calls either way, and raising it to 32 MiB measured no different.)
public enum MallocTuning {
    public static func forCompilerProcess() {
        #if canImport(Glibc)
        // `mallopt` is in <malloc.h>, which Swift's Glibc module leaves out; look it up instead.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        let trimThreshold: Int32 = -1, topPad: Int32 = -2  // M_TRIM_THRESHOLD, M_TOP_PAD
        _ = mallopt(topPad, 64 << 20)
        _ = mallopt(trimThreshold, 1 << 30)
        #endif
    }
}
