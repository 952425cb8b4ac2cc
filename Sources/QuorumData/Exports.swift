@_exported import QuorumCore
