import CLua
import RallyCore

// The Swift end of the C trampoline (see the protected-call rule on ``LuaState``): the box a
// Lua function holds, the dispatcher that runs it and turns errors into return codes, and the
// callbacks the shim makes into Swift.

/// The registry key of the pending error: a light userdata with an address of our own.
nonisolated(unsafe) let pendingKey = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

/// The Swift side of a Lua function: the closure and the name its errors use. Held (retained)
/// by the function's box userdata, released by its `__gc`; not a Lua value itself.
final class LuaFunctionBox {
    let name: String
    let body: LuaFunction
    init(name: String, body: @escaping LuaFunction) {
        self.name = name
        self.body = body
    }
}

/// Called by the C trampoline. Runs the Swift body. Returns its result count; or, when the body
/// recorded a pending error, -2 with that error object on the stack (raised as it is: "not
/// enough memory" stays exactly Lua's message); or, when it threw, -1 with the message (the
/// trampoline prepends the position). The trampoline raises after this frame has returned.
/// An error pending before the call (this call runs inside a failing outer step, e.g. a `__gc`
/// during its collection) is left for the outer frame.
@_cdecl("rally_swift_dispatch")
func rallySwiftDispatch(_ L: OpaquePointer?, _ box: UnsafeMutableRawPointer?) -> Int32 {
    guard let L, let box else { return 0 }
    let function = Unmanaged<LuaFunctionBox>.fromOpaque(box).takeUnretainedValue()
    let state = LuaState(L)
    let outerPending = state.hasPendingError
    let thrown: Error
    do {
        let count = try function.body(state)
        if outerPending || !state.hasPendingError { return count }
        state.pushTakingPendingError()
        return -2
    } catch {
        thrown = error
    }
    if !outerPending, state.hasPendingError {
        state.pushTakingPendingError()
        return -2
    }
    let message = bounded((thrown as? RallyError)?.message ?? String(describing: thrown))
    state.push(message)
    if state.hasPendingError && !outerPending {
        state.pushTakingPendingError() // the message could not be pushed: raise the memory error
        return -2
    }
    return thrown as? RallyError == .notEnoughMemory ? -2 : -1
}

/// The most bytes of an error message raised from Swift: whatever a message quotes (a 1 MB
/// argument echoed back, a chain of nested errors), Lua gets at most this much.
let maximumErrorBytes = 4000

/// `message` cut to ``maximumErrorBytes`` on a character boundary, saying how long it was.
func bounded(_ message: String) -> String {
    guard message.utf8.count > maximumErrorBytes else { return message }
    var out = ""
    for c in message {
        if out.utf8.count + c.utf8.count > maximumErrorBytes - 40 { break }
        out.append(c)
    }
    return out + " ... (message cut: \(message.utf8.count) bytes)"
}

/// How many Swift function calls are running on this thread (counted by the trampoline). Back
/// at 0 after every call from the top level, unless a `longjmp` skipped a Swift frame: tests
/// check it.
public var luaSwiftCallDepth: Int32 { rally_swift_depth().pointee }

/// Called by the shim's protected steps that cannot return their status to Swift: records the
/// error object on top as the pending error.
@_cdecl("rally_swift_record")
func rallySwiftRecord(_ L: OpaquePointer?) {
    guard let L else { return }
    LuaState(L).recordFailure()
}

/// Called by a box's `__gc`: drops the Swift closure.
@_cdecl("rally_swift_release")
func rallySwiftRelease(_ box: UnsafeMutableRawPointer?) {
    guard let box else { return }
    Unmanaged<LuaFunctionBox>.fromOpaque(box).release()
}
