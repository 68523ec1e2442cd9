namespace Sluice.Export;

/// <summary>Braze refused the workspace's credentials: the job pauses with this message until an operator resumes it.</summary>
internal sealed class ExportPausedException(string message) : Exception(message);
