import Synchronization

/// A process-wide cancellation flag for long engine work.
///
/// The shell sets it on Ctrl-C (a Lua hook cannot fire while Swift code runs); long engine
/// loops call ``check()`` every so often and stop with ``RallyError/interrupted``.
public enum Cancellation {
    private static let flag = Atomic<Bool>(false)

    /// Asks running engine work to stop. Safe to call from a signal handler.
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Clears a request, before new work starts.
    public static func reset() { flag.store(false, ordering: .relaxed) }

    /// Whether a stop was requested.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Throws ``RallyError/interrupted`` when a stop was requested.
    public static func check() throws {
        if isRequested { throw RallyError.interrupted }
    }
}
