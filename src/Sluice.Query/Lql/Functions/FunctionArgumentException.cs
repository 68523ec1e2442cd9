namespace Sluice.Query.Lql.Functions;

/// <summary>
/// A function's argument that is wrong whatever the record (a time zone that does not exist, a literal where one is
/// required): refused when the mapping is compiled, at the call's position.
/// </summary>
internal sealed class FunctionArgumentException(string message) : Exception(message);
