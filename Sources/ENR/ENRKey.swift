/// The keys with a defined meaning (EIP-778, and the Aztec network's own keys).
public enum ENRKey {
    /// Identity scheme name, "v4".
    public static let id = "id"
    /// Compressed secp256k1 public key, 33 bytes.
    public static let secp256k1 = "secp256k1"
    /// IPv4 address, 4 bytes.
    public static let ip = "ip"
    /// TCP port, big-endian integer.
    public static let tcp = "tcp"
    /// UDP port, big-endian integer.
    public static let udp = "udp"
    /// IPv6 address, 16 bytes.
    public static let ip6 = "ip6"
    /// IPv6-specific TCP port.
    public static let tcp6 = "tcp6"
    /// IPv6-specific UDP port.
    public static let udp6 = "udp6"
    /// The Aztec chain id, an unsigned big-endian integer.
    public static let aztec = "aztec"
    /// The Ethereum (L1) chain id, an unsigned big-endian integer. Not `eth2`, which Ethereum's
    /// consensus layer uses for a fork digest.
    public static let eth = "eth"
    /// The discv5 topic discovery (TopDisc) version the node supports, an unsigned big-endian
    /// integer; a node with it acts as a registrar.
    public static let topicDiscovery = "ng"
}
