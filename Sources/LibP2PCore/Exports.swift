// Keys build on the multiformats; whoever imports LibP2PCore sees both, as before the split.
@_exported import Multiformats
