// The engine's one error type and its number formatting live in RallyCore, below both the engine
// and the Lua bridge; whoever imports the engine sees them.
@_exported import RallyCore
