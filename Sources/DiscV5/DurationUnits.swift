extension Duration {
    /// The duration in seconds, as a `Double`.
    var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// Whole milliseconds (rounded down, never negative), as REGCONFIRMATION carries them.
    var wholeMilliseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) &* 1_000 &+ UInt64(attoseconds / 1_000_000_000_000_000)
    }

    /// The duration rounded up to a whole number of milliseconds.
    var roundedUpToMilliseconds: Duration {
        let (seconds, attoseconds) = components
        let millisecond: Int64 = 1_000_000_000_000_000
        let milliseconds = (attoseconds + millisecond - 1) / millisecond
        return .seconds(seconds) + .milliseconds(milliseconds)
    }

    /// Whole nanoseconds, clamped to `Int64`'s range, as a bit pattern (tickets carry them).
    var nanosecondsClamped: UInt64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return UInt64(bitPattern: seconds < 0 ? Int64.min : Int64.max) }
        let (sum, overflowSum) = product.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !overflowSum else { return UInt64(bitPattern: Int64.max) }
        return UInt64(bitPattern: sum)
    }
}
