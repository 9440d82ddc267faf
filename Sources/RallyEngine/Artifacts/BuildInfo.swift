import CStartup

/// Facts about the build that `run.json` records.
public enum BuildInfo {
    /// The rally version.
    public static let rallyVersion = "0.1.0"

    /// The XGBoost library version (e.g. "1.7.4"; "unavailable (why)" when libxgboost.so.0
    /// cannot be loaded). Loads XGBoost if nothing has yet.
    public static var xgboostVersion: String { XGBoost.version }

    /// The instruction-set level the Swift code was compiled for: "x86-64-v3" when a release
    /// build's machine had AVX2 and FMA (scripts/setup.sh), "x86-64" otherwise. The numbers do
    /// not depend on it (Sources/CStartup/cpu_level.c).
    public static var targetCPU: String { String(cString: rally_target_cpu()) }

    /// The Swift compiler release the engine was built with ("6.3", or "6.5 or later").
    public static var swiftVersion: String {
        #if compiler(>=6.5)
        return "6.5 or later"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }
}
