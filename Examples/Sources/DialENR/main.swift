// Reading an ENR and dialing the libp2p multiaddr it names.
//
// An Ethereum Node Record carries a node's secp256k1 key, IP and ports. The same key is the
// node's libp2p identity, so the record gives a full multiaddr, `/ip4/…/tcp/…/p2p/<peer id>`,
// and the Noise handshake proves the peer dialed holds that key.
import ENR
import LibP2P
import LibP2PCore
import Logging
import NIOPosix
import P2PCrypto

var rng = SystemRandomNumberGenerator()
let group = MultiThreadedEventLoopGroup.singleton
var logger = Logger(label: "example")
logger.logLevel = .error   // the listener logs the dialer's disconnection at the end as a warning

// A listener on loopback, whose libp2p identity is its ENR's secp256k1 key.
let key = Secp256k1.PrivateKey.generate(using: &rng)
let listener = try P2PHost(identity: try LibP2PIdentity(privateKey: PrivateKey(secp256k1: key), using: &rng), group: group,
                          logger: logger)
let bound = try await listener.listen(Multiaddr("/ip4/127.0.0.1/tcp/0"))
guard case .tcp(let port)? = bound.components.first(where: { if case .tcp = $0 { true } else { false } }) else {
    fatalError("the listener reported no TCP port: \(bound)")
}

// The record the listener would publish through discv5, as text.
var builder = NodeRecordBuilder(sequenceNumber: 1)
try builder.setIP([127, 0, 0, 1])
builder.setTCP(port)
let text = try builder.signed(with: key).textEncoding
print("the listener's record: \(text)")

// A dialer reads the record (the signature is verified on decoding) and dials what it names.
let record = try NodeRecord(text: text)
guard let address = try record.tcpMultiaddrs.first else { fatalError("the record names no TCP endpoint") }
let nodeID = record.nodeID.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
print("node id \(nodeID), dialing \(address)")

let dialer = try P2PHost(identity: try LibP2PIdentity.generate(), group: group, logger: logger)
let connection = try await dialer.dial(address)
precondition(connection.remotePeer == record.peerID, "the peer that answered holds the record's key")
let info = try await dialer.identify(connection)
let roundTrips = try await dialer.ping(connection, count: 3)
print("connected to \(record.peerID): agent \(info.agentVersion ?? "?"), \(info.protocols.count) protocols,"
      + " ping round trips \(roundTrips.map { "\($0.components.attoseconds / 1_000_000_000_000) µs" }.joined(separator: ", "))")

await dialer.close()
await listener.close()
