// Batch publishing: several own messages at once, first copies before second copies.

extension GossipSubRouter {
    /// Publishes the messages `data` on `topic` at once, first copies first (go-libp2p's
    /// `MessageBatch` with its round-robin scheduler): each message is published as
    /// ``publish(topic:data:now:)`` does, then the sends carrying a message are ordered in rounds,
    /// each round giving every message one more copy, and message k's peers are rotated by k.
    /// Every message leaves once before any leaves twice, and the peers' send queues each start
    /// with a different message, so when the publisher's uplink is the bottleneck every message
    /// starts spreading early. Sends without a message (IDONTWANT on publish) come first.
    ///
    /// - Returns: the ids of the messages published, in order (items already seen are skipped),
    ///   and the actions, each with the id of the message it carries (nil for the others).
    /// - Throws: ``PublishError/messageTooLarge(size:limit:)`` before anything is published if
    ///   any item is too large; ``PublishError/signingFailed`` stops the batch (the messages
    ///   before the failing one are published, and go out with gossip).
    public mutating func publishBatch(topic: String, data: [[UInt8]], now: Duration)
        throws(PublishError) -> (ids: [MessageID], actions: [(action: Action, message: MessageID?)]) {
        let limit = config.maxMessageSize(topic: topic)
        if let large = data.first(where: { $0.count > limit }) { throw .messageTooLarge(size: large.count, limit: limit) }
        var ids: [MessageID] = []
        var ordered: [(action: Action, message: MessageID?)] = []
        var copies: [[Action]] = []
        for item in data {
            let published: (id: MessageID, actions: [Action])
            do {
                published = try publish(topic: topic, data: item, now: now)
            } catch .duplicate {
                continue
            } catch {
                throw error
            }
            ids.append(published.id)
            var sends: [Action] = []
            for action in published.actions {
                if case .send(_, let rpc) = action, !rpc.publish.isEmpty { sends.append(action) } else { ordered.append((action, nil)) }
            }
            copies.append(sends)
        }
        let rounds = copies.map(\.count).max() ?? 0
        for round in 0..<rounds {
            for (k, sends) in copies.enumerated() where round < sends.count {
                ordered.append((sends[(round + k) % sends.count], ids[k]))
            }
        }
        return (ids, ordered)
    }
}
