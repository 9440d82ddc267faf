#if canImport(Glibc)
import Glibc
#endif

/// The seconds one thread has spent runnable but waiting for a CPU: the second field of Linux's
/// `/proc/thread-self/schedstat` for the thread that made the clock, kept open and read again
/// at each look (a few microseconds, where listing and opening every thread's file of the
/// process took over a hundred). It is not a CPU-time clock, and it reads nothing on systems
/// without that file (``waitingSeconds`` is nil).
///
/// A fit's thread governor (`FitThreads`) sums the clocks of the fit's own threads.
public final class ThreadWaitClock: Sendable {
    private let descriptor: Int32

    /// A clock of the calling thread.
    public init() {
        #if canImport(Glibc)
        descriptor = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC)
        #else
        descriptor = -1
        #endif
    }

    deinit {
        #if canImport(Glibc)
        if descriptor >= 0 { close(descriptor) }
        #endif
    }

    /// The thread's total seconds waiting for a CPU so far, or nil when it cannot be read.
    public var waitingSeconds: Double? {
        #if canImport(Glibc)
        guard descriptor >= 0 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer -> Double? in
            let got = pread(descriptor, buffer.baseAddress!, buffer.count, 0)
            guard got > 0 else { return nil }
            return Self.secondField(UnsafeBufferPointer(rebasing: buffer[..<got])).map { Double($0) / 1e9 }
        }
        #else
        return nil
        #endif
    }

    /// The second space-separated field of `text` as a whole number (schedstat's nanoseconds
    /// spent waiting), or nil.
    package static func secondField(_ text: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var field = 0, value: UInt64 = 0, digits = 0
        for byte in text {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                if field == 1 { break }
                field += 1
                continue
            }
            guard field == 1 else { continue }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow && !carry else { return nil }
            value = sum
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
