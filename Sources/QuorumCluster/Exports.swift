@_exported import QuorumCore
@_exported import QuorumData
@_exported import QuorumTraining
@_exported import QuorumEnsemble
