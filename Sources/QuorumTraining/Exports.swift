@_exported import QuorumCore
@_exported import QuorumData
