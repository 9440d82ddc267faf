// swift-tools-version:6.0
import PackageDescription

// C targets keep their debug information in DWARF 4: valgrind 3.19 (Debian's, which
// scripts/leak_check.sh runs on the debug build) gives up on a binary with several DWARF 5 units.
let cDebugInfo: [CSetting] = [.unsafeFlags(["-gdwarf-4"])]

let package = Package(
    name: "rally",
    products: [
        .library(name: "RallyEngine", targets: ["RallyEngine"]),
        // The engine as a shared library: `rally.so` links to it so stock lua5.4 can `require "rally"`.
        .library(name: "RallyEngineShared", type: .dynamic, targets: ["RallyEngine"]),
        .executable(name: "rally-shell", targets: ["rally-shell"]),
    ],
    targets: [
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        // XGBoost's C API behind wrappers that load libxgboost.so.0 with dlopen at their first call
        // (xgboost_loader.c): only processes that use XGBoost load it, libstdc++ and libgomp.
        // libxgboost-dev stays a build dependency, for the header's types; `dl` is libc's own from
        // glibc 2.34 (libdl.a is then empty), a library of its own before.
        .target(name: "CXGBoost", cSettings: cDebugInfo, linkerSettings: [.linkedLibrary("dl")]),
        // the error type, number formatting, random numbers, thread wait clocks and the pieces that
        // share parallel work (WorkCounter, WorkerSlots, concurrentMap): what every layer shares
        .target(name: "RallyCore"),
        // the Swift <-> Lua bridge (stack access in protected steps, userdata classes, dispatch, help):
        // it knows nothing of rally's engine; RallyEngine's Lua/ writes the bindings with it
        .target(name: "LuaBridge", dependencies: ["CLua", "RallyCore"]),
        // XGBoost's hist trees grown in rally (gbdt's default trainer): compiled optimised in debug
        // builds too, since tests and fuzzers fit real models through debug binaries, and without
        // run-time exclusivity checks (each access to the grower's per-node arrays in the split
        // search paid one; its tests compare every tree with XGBoost's)
        .target(name: "RallyTrees", dependencies: ["RallyCore", "CSigmoid"], swiftSettings: [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked"])]),
        // XGBoost's sigmoid four margins at a time (AVX2 and FMA), bit for bit what glibc's expf
        // gives, for rally's trainer's gradients; optimised in debug builds too, like RallyTrees
        .target(name: "CSigmoid", cSettings: cDebugInfo + [.unsafeFlags(["-O2"])]),
        // SHA-256's block compression with the x86 SHA extensions, for the engine's SHA256 when the CPU has them
        .target(name: "CSHA256", cSettings: cDebugInfo),
        .target(name: "RallyEngine", dependencies: ["RallyCore", "RallyTrees", "LuaBridge", "CLua", "CXGBoost", "CSHA256", "CStartup"]),
        // the REPL's Lua side (chunk completion, top-level locals, pretty-printing, completion): the shell's, not the engine's
        .target(name: "RallyConsole", dependencies: ["RallyEngine", "LuaBridge", "CLua"]),
        // what runs first: the bounded OpenMP spin (GOMP_SPINCOUNT) that rally-shell and `require "rally"`
        // set before XGBoost, and with it libgomp, is loaded; and the check, before main, that the CPU
        // has the instruction set a release build was compiled for (x86-64-v3, see scripts/setup.sh)
        .target(name: "CStartup", cSettings: cDebugInfo),
        .executableTarget(name: "rally-shell", dependencies: ["RallyEngine", "LuaBridge", "RallyConsole", "CLua", "CReadline", "CStartup"]),
        .testTarget(name: "DataTests", dependencies: ["RallyEngine"]),
        .testTarget(name: "FeatureTests", dependencies: ["RallyEngine"]),
        .testTarget(name: "ModelTests", dependencies: ["RallyEngine", "RallyTrees", "CSigmoid"]),
        .testTarget(name: "EvaluationTests", dependencies: ["RallyEngine"]),
        .testTarget(name: "LuaTests", dependencies: ["RallyEngine", "LuaBridge", "RallyConsole", "CLua"]),
        .testTarget(name: "ShellTests", dependencies: ["RallyEngine"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)

// A coverage-guided fuzz target for the CSV reader and the time parsers (libFuzzer provides its
// main). Only declared when RALLY_LIBFUZZER is set: scripts/fuzz/libfuzzer.sh builds it with
// -sanitize=fuzzer,address into .build/libfuzzer, so the normal build never sees it.
if Context.environment["RALLY_LIBFUZZER"] != nil {
    package.targets.append(.executableTarget(name: "rally-fuzz-csv", dependencies: ["RallyEngine"], path: "Fuzz/CSVTarget"))
}
