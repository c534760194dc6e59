import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Sits after the HTTP decoder of every connection of an ``HTTPEndpoint``: enforces the
/// ``RequestDeadlines`` (closing a connection whose client is too slow), closes the connection after
/// a response sent with `connection: close`, and holds the connection's place in the per-address
/// count (``AddressConnectionCounter``), refusing it when its address has too many.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: HTTPEndpointLimits
    private let counter: AddressConnectionCounter
    private var deadlines: RequestDeadlines?
    private var timer: Scheduled<Void>?
    private var countedAddress: String?

    init(limits: HTTPEndpointLimits, counter: AddressConnectionCounter) {
        self.limits = limits
        self.counter = counter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        guard counter.open(address) else {
            context.close(promise: nil)
            return
        }
        countedAddress = address
        let machine = RequestDeadlines(headerTimeout: TimeAmount(limits.headerTimeout),
                                       bodyTimeout: TimeAmount(limits.bodyTimeout), now: .now())
        if let deadline = machine.deadline { arm(deadline, context: context) }
        deadlines = machine
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if let countedAddress { counter.close(countedAddress) }
        countedAddress = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard var machine = deadlines else { return }
        let action: RequestDeadlines.Action
        switch unwrapInboundIn(data) {
        case .head: action = machine.receivedHead(now: .now())
        case .body: action = .none
        case .end: action = machine.receivedEnd()
        }
        deadlines = machine
        perform(action, context: context)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard var machine = deadlines else {
            context.write(data, promise: promise)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(let head):
            machine.sentHead(closesConnection: head.headerFields[.connection]?.lowercased() == "close")
            deadlines = machine
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            let action = machine.sentEnd(now: .now())
            deadlines = machine
            if action == .close {
                context.writeAndFlush(data, promise: promise)
                context.close(promise: nil)
            } else {
                context.write(data, promise: promise)
                perform(action, context: context)
            }
        }
    }

    private func perform(_ action: RequestDeadlines.Action, context: ChannelHandlerContext) {
        switch action {
        case .none: break
        case .arm(let deadline): arm(deadline, context: context)
        case .disarm:
            timer?.cancel()
            timer = nil
        case .close:
            timer?.cancel()
            timer = nil
            context.close(promise: nil)
        }
    }

    private func arm(_ deadline: NIODeadline, context: ChannelHandlerContext) {
        timer?.cancel()
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (this, context) = bound.value
            this.timer = nil
            guard let machine = this.deadlines else { return }
            this.perform(machine.timerFired(now: .now()), context: context)
        }
    }
}
