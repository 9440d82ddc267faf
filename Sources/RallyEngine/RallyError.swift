/// The one error type the engine throws: a message written for the person at the prompt.
///
/// Engine code says what was wrong and where (file, line, column, argument, offending value);
/// the Lua layer turns the message into a Lua error unchanged.
public struct RallyError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The full, human-readable message.
    public let message: String

    /// Creates an error with `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// The error engine loops throw when the user pressed Ctrl-C.
    public static let interrupted = RallyError("interrupted!")
}
