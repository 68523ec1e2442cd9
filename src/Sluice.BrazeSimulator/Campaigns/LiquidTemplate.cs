using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;

namespace Sluice.BrazeSimulator.Campaigns;

/// <summary>The Liquid that Braze webhook templates use: output tags <c>{{ path | filter: 'arg' }}</c> with Braze's
/// <c>${attribute}</c> names. Block tags (<c>{% %}</c>) are refused when the campaign is created. Fluid would do this,
/// but the Fluid.Core build we can get does not run with the Parlot the package registry serves.</summary>
internal sealed class LiquidTemplate
{
    private static readonly HashSet<string> KnownFilters = new(StringComparer.Ordinal)
    {
        "default", "upcase", "downcase", "capitalize", "strip", "append", "prepend", "replace",
        "url_encode", "url_param_escape", "escape", "json_escape", "size",
    };

    private readonly List<Part> _parts;

    private LiquidTemplate(List<Part> parts) => _parts = parts;

    /// <summary>Parses a template; throws <see cref="FormatException"/> with a message that names the problem.</summary>
    public static LiquidTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<Part>();
        var position = 0;
        while (position < text.Length)
        {
            var blockTag = text.IndexOf("{%", position, StringComparison.Ordinal);
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (blockTag >= 0 && (open < 0 || blockTag < open))
            {
                throw new FormatException($"Liquid block tags such as '{Snippet(text, blockTag)}' are not supported; use output tags {{{{ ... }}}}.");
            }

            if (open < 0)
            {
                parts.Add(new Part(text[position..], null, []));
                break;
            }

            if (open > position)
            {
                parts.Add(new Part(text[position..open], null, []));
            }

            var close = FindClose(text, open + 2);
            if (close < 0)
            {
                throw new FormatException($"'{Snippet(text, open)}' has no closing '}}}}'.");
            }

            parts.Add(ParseOutput(RewriteBrazeNames(text[(open + 2)..close])));
            position = close + 2;
        }

        return new LiquidTemplate(parts);
    }

    public string Render(IReadOnlyDictionary<string, object?> model)
    {
        var output = new StringBuilder();
        foreach (var part in _parts)
        {
            if (part.Path is null)
            {
                output.Append(part.Literal);
                continue;
            }

            var value = part.Path.Count == 0 ? part.Literal : Resolve(model, part.Path);
            foreach (var filter in part.Filters)
            {
                value = Apply(filter, value);
            }

            output.Append(ToText(value));
        }

        return output.ToString();
    }

    // The end of an output tag, skipping the '}' that closes a ${name}.
    private static int FindClose(string text, int from)
    {
        for (var i = from; i < text.Length - 1; i++)
        {
            if (text[i] == '$' && text[i + 1] == '{')
            {
                var end = text.IndexOf('}', i + 2);
                if (end < 0)
                {
                    return -1;
                }

                i = end;
                continue;
            }

            if (text[i] == '}' && text[i + 1] == '}')
            {
                return i;
            }
        }

        return -1;
    }

    // Braze writes attributes as ${first_name}; plain Liquid wants first_name (or ["a name"] when it has spaces).
    private static string RewriteBrazeNames(string tag)
    {
        var output = new StringBuilder(tag.Length);
        for (var i = 0; i < tag.Length; i++)
        {
            if (tag[i] == '$' && i + 1 < tag.Length && tag[i + 1] == '{')
            {
                var end = tag.IndexOf('}', i + 2);
                var name = tag[(i + 2)..end].Trim();
                var simple = name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
                if (simple)
                {
                    output.Append(name);
                }
                else
                {
                    if (output.Length > 0 && output[^1] == '.')
                    {
                        output.Length--;
                    }

                    output.Append("[\"").Append(name.Replace("\"", "", StringComparison.Ordinal)).Append("\"]");
                }

                i = end;
                continue;
            }

            output.Append(tag[i]);
        }

        return output.ToString();
    }

    private static Part ParseOutput(string tag)
    {
        var pieces = SplitOutsideQuotes(tag, '|');
        var head = pieces[0].Trim();
        List<string> path;
        string? literal = null;
        if (IsQuoted(head))
        {
            path = [];
            literal = head[1..^1];
        }
        else
        {
            path = ParsePath(head);
        }

        var filters = new List<Filter>();
        foreach (var piece in pieces.Skip(1))
        {
            var colon = piece.IndexOf(':', StringComparison.Ordinal);
            var name = (colon < 0 ? piece : piece[..colon]).Trim();
            if (!KnownFilters.Contains(name))
            {
                throw new FormatException($"Unknown Liquid filter '{name}'.");
            }

            var args = colon < 0
                ? []
                : SplitOutsideQuotes(piece[(colon + 1)..], ',').Select(a => Unquote(a.Trim())).ToList();
            filters.Add(new Filter(name, args));
        }

        return new Part(literal, path, filters);
    }

    private static List<string> ParsePath(string head)
    {
        if (head.Length == 0)
        {
            throw new FormatException("An output tag is empty.");
        }

        var path = new List<string>();
        var i = 0;
        while (i < head.Length)
        {
            if (head[i] == '.')
            {
                i++;
                continue;
            }

            if (head[i] == '[')
            {
                var end = head.IndexOf(']', i);
                if (end < 0)
                {
                    throw new FormatException($"'{head}' has an unclosed '['.");
                }

                path.Add(Unquote(head[(i + 1)..end].Trim()));
                i = end + 1;
                continue;
            }

            var start = i;
            while (i < head.Length && head[i] is not ('.' or '['))
            {
                i++;
            }

            var segment = head[start..i].Trim();
            if (!segment.All(c => char.IsLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new FormatException($"'{head}' is not a variable name.");
            }

            path.Add(segment);
        }

        return path;
    }

    private static object? Resolve(IReadOnlyDictionary<string, object?> model, List<string> path)
    {
        object? current = model;
        foreach (var segment in path)
        {
            current = current switch
            {
                IReadOnlyDictionary<string, object?> d => d.GetValueOrDefault(segment),
                IDictionary<string, object> d => d.TryGetValue(segment, out var v) ? v : null,
                _ => null,
            };
        }

        return current;
    }

    private static object? Apply(Filter filter, object? value)
    {
        string Arg(int i) => i < filter.Args.Count ? filter.Args[i] : "";
        var text = ToText(value);
        return filter.Name switch
        {
            // Liquid's default replaces nil, false and empty strings.
            "default" => value is null or false || text.Length == 0 ? Arg(0) : value,
            "upcase" => text.ToUpperInvariant(),
            "downcase" => text.ToLowerInvariant(),
            "capitalize" => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..],
            "strip" => text.Trim(),
            "append" => text + Arg(0),
            "prepend" => Arg(0) + text,
            "replace" => Arg(0).Length == 0 ? text : text.Replace(Arg(0), Arg(1), StringComparison.Ordinal),
            "url_encode" => WebUtility.UrlEncode(text),
            "url_param_escape" => Uri.EscapeDataString(text),
            "escape" => WebUtility.HtmlEncode(text),
            "json_escape" => JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(text),
            "size" => value is System.Collections.ICollection c ? c.Count : text.Length,
            _ => value,
        };
    }

    internal static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IDictionary => "",
        System.Collections.IEnumerable e => string.Join(", ", e.Cast<object?>().Select(ToText)),
        _ => value.ToString() ?? "",
    };

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var result = new List<string>();
        var start = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == separator)
            {
                result.Add(text[start..i]);
                start = i + 1;
            }
        }

        result.Add(text[start..]);
        return result;
    }

    private static bool IsQuoted(string s) => s.Length >= 2 && (s[0] is '\'' or '"') && s[^1] == s[0];

    private static string Unquote(string s) => IsQuoted(s) ? s[1..^1] : s;

    private static string Snippet(string text, int at) => text.Substring(at, Math.Min(24, text.Length - at));

    /// <summary>Literal text (Path null), a quoted literal (empty Path) or a variable, then filters.</summary>
    private sealed record Part(string? Literal, List<string>? Path, List<Filter> Filters);

    private sealed record Filter(string Name, List<string> Args);
}
