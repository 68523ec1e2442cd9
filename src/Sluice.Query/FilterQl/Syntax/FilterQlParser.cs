using System.Text;

namespace Sluice.Query.FilterQl.Syntax;

/// <summary>The entry point for reading FilterQL text; see <see cref="Parse(string, ParseLimits?)"/>.</summary>
public static class FilterQlParser
{
    /// <summary>
    /// Parses one statement. Throws <see cref="FilterQlException"/> (with the line and column, and what was expected)
    /// for any text that is not a statement, and never anything else for any input.
    /// </summary>
    public static FilterStatement Parse(string text, ParseLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= ParseLimits.Default;
        // Length is a cheap bound first: UTF-8 never takes fewer bytes than UTF-16 code units.
        if (text.Length > limits.MaxBytes || Encoding.UTF8.GetByteCount(text) > limits.MaxBytes)
        {
            throw new FilterQlException(
                SourcePosition.Start, $"the statement is longer than the limit of {limits.MaxBytes} bytes");
        }

        return new Parser(text, limits).ParseStatement();
    }
}
