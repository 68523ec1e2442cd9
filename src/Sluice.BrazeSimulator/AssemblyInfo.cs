namespace Sluice.BrazeSimulator;

/// <summary>Marker for the local Braze stand-in.</summary>
internal static class SimulatorAssembly;
