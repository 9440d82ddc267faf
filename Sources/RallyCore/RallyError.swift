/// The one error type the engine throws: a message written for the person at the prompt.
///
/// Engine code says what was wrong and where (file, line, column, argument, offending value);
/// the Lua layer turns the message into a Lua error unchanged.
public struct RallyError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The full, human-readable message.
    public let message: String
    /// Which argument of the call the error is about (1-based, as Lua counts a method's
    /// arguments after `self`), when the engine knows; the Lua layer then reports it as
    /// `bad argument #n to 'f' (message)`.
    public let argument: Int?
    /// Which option of the call's options table the error is about (`embargo`), when the engine
    /// knows; the Lua layer then reports it as `bad argument #n to 'f' (field 'embargo': message)`.
    public let option: String?

    /// Creates an error with `message`, about argument `argument` or option `option` when given.
    public init(_ message: String, argument: Int? = nil, option: String? = nil) {
        self.message = message
        self.argument = argument
        self.option = option
    }

    public var description: String { message }

    /// The same message about argument `n` of the call (``interrupted`` stays as it is): for an
    /// engine call whose steps each read one of its arguments.
    public func about(argument n: Int) -> RallyError {
        self == .interrupted ? self : RallyError(message, argument: n)
    }

    /// The error engine loops throw when the user pressed Ctrl-C.
    public static let interrupted = RallyError("interrupted!")
}
