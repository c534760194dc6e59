import Benchmark

// Placeholder: the module's owner replaces this with its measurements.
let benchmarks: @Sendable () -> Void = {
    Benchmark("placeholder") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(1) }
    }
}
