import Foundation

/// A value computed on a thread of its own while the caller goes on with other work, for a
/// slow step whose result is needed only later (the data file's SHA-256 while the artifacts
/// are rendered); ``value()`` waits for it. A dedicated thread, not the dispatch pool, so it
/// never waits behind the pool's workers (see ``EvaluationPipeline``).
final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    // written once by the thread before it leaves `done`, read only after waiting on `done`
    private var result: Result<Value, any Error>?
    private let done = DispatchGroup()

    /// Starts computing `body` at once.
    init(_ body: @escaping @Sendable () throws -> Value) {
        done.enter()
        Thread { [self] in
            result = Result(catching: body)
            done.leave()
        }.start()
    }

    /// The value (or the error `body` threw), once it is there.
    func value() throws -> Value {
        done.wait()
        return try result!.get()
    }
}
