import NIOCore

/// When an HTTP connection must next have made progress, as a sans-IO state machine: the events of
/// one connection go in with the time, the deadline to arm (or a close) comes out.
///
/// - Waiting for a request (from the opening, and from the end of each response once no request
///   is left to answer), the head must arrive within `headerTimeout`.
/// - From a head, the request's end must arrive within `bodyTimeout`.
/// - While the server works on a request, no deadline runs: the server's own work is bounded
///   elsewhere.
/// - A response sent with `connection: close` closes the connection once it has ended.
struct RequestDeadlines {
    enum Phase: Equatable {
        case awaitingHead(deadline: NIODeadline)
        case receivingRequest(deadline: NIODeadline)
        case responding
    }

    enum Action: Equatable {
        case none
        /// Arm the timer for this deadline (replacing any other).
        case arm(NIODeadline)
        /// Cancel the timer: nothing is due.
        case disarm
        case close
    }

    let headerTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    private(set) var phase: Phase
    /// Requests received in full and not yet answered in full.
    private(set) var responsesOwed = 0
    private var closeAfterResponse = false

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount, now: NIODeadline) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.phase = .awaitingHead(deadline: now + headerTimeout)
    }

    /// The deadline running now, if any.
    var deadline: NIODeadline? {
        switch phase {
        case .awaitingHead(let deadline), .receivingRequest(let deadline): deadline
        case .responding: nil
        }
    }

    mutating func receivedHead(now: NIODeadline) -> Action {
        let deadline = now + bodyTimeout
        phase = .receivingRequest(deadline: deadline)
        return .arm(deadline)
    }

    mutating func receivedEnd() -> Action {
        responsesOwed += 1
        phase = .responding
        return .disarm
    }

    mutating func sentHead(closesConnection: Bool) {
        if closesConnection { closeAfterResponse = true }
    }

    mutating func sentEnd(now: NIODeadline) -> Action {
        responsesOwed = max(0, responsesOwed - 1)
        if closeAfterResponse { return .close }
        guard phase == .responding, responsesOwed == 0 else { return .none }
        let deadline = now + headerTimeout
        phase = .awaitingHead(deadline: deadline)
        return .arm(deadline)
    }

    /// The timer fired: closes if the running deadline has passed.
    func timerFired(now: NIODeadline) -> Action {
        guard let deadline else { return .none }
        return now >= deadline ? .close : .arm(deadline)
    }
}
