namespace Sluice.Query.Lql;

/// <summary>A mapping that cannot be used, with the 1-based position the problem was found at.</summary>
public abstract class QueryException : Exception
{
    protected QueryException(int line, int column, string reason)
        : base($"line {line}, column {column}: {reason}")
    {
        Line = line;
        Column = column;
        Reason = reason;
    }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The message without its position prefix.</summary>
    public string Reason { get; }
}

/// <summary>The LQL text does not follow the grammar.</summary>
public sealed class QuerySyntaxException(int line, int column, string reason) : QueryException(line, column, reason);

/// <summary>The LQL text parses but does not make a usable mapping (unknown function, kind, operator, no identity...).</summary>
public sealed class QueryValidationException(int line, int column, string reason) : QueryException(line, column, reason);
