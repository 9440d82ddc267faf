/// The Lua face of the data layer: `rally.load`, `rally.split`, `rally.dataset.*`, `Dataset`.
enum DataBindings {
    static func install(_ rally: LuaModule) {
    }
}
