using System.Text;
using System.Text.Json;

namespace Sluice.Profiles;

/// <summary>
/// Decides whether a raw event belongs to a person being erased, without any mapping: whatever stream it came on,
/// an event whose JSON holds one of the person's identity values, at any depth, is theirs. This is how events on
/// streams without a mapping are found, and a safety net for mapped ones (a mapping changed since the event came).
/// <para>
/// A string (value or property name) matches when, trimmed and without a <c>mailto:</c> prefix, it equals an identity
/// value ignoring case: identity values are stored trimmed and emails lower-cased, and a raw body carries them as the
/// client sent them. A number matches only under a property named like one of the person's identity keys
/// (<c>"user_id": 12345</c>): small numbers are everywhere, and the key tells a user id from a count.
/// </para>
/// <para>
/// An event that cannot be read as JSON (damage, or a string no .NET string can hold, such as an escaped lone
/// surrogate) is matched on its bytes: it is the person's if they contain any identity value, ignoring case. That
/// errs towards deleting, which is the side a privacy delete must err on.
/// </para>
/// </summary>
internal sealed class PersonMatcher
{
    private readonly HashSet<string> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _shortest;

    public PersonMatcher(IEnumerable<(string Key, string Value)> identities)
    {
        foreach (var (key, value) in identities)
        {
            var v = value.Trim();
            if (v.Length == 0) continue;
            _values.Add(v);
            _keys.Add(key);
        }
        _shortest = _values.Count == 0 ? 0 : _values.Min(v => v.Length);
    }

    public bool IsEmpty => _values.Count == 0;

    /// <summary>
    /// Whether the body holds one of the person's identity values; never throws for any body.
    /// <paramref name="parsed"/> is false when the body could not be read as JSON and was judged on its bytes.
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> body, out bool parsed)
    {
        parsed = true;
        if (IsEmpty) return false;
        try
        {
            return MatchesJson(body);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            parsed = false;
            return MatchesBytes(body);
        }
    }

    /// <summary>The raw check alone, for events whose mapping failed: their bytes are all there is to go on.</summary>
    public bool MatchesBytes(ReadOnlySpan<byte> body)
    {
        if (IsEmpty) return false;
        // Invalid UTF-8 becomes U+FFFD, which matches no identity value; the rest of the body is still searched.
        var text = Encoding.UTF8.GetString(body);
        foreach (var v in _values)
        {
            if (text.Contains(v, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private bool MatchesJson(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        string? property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    if (IsValue(property)) return true;
                    break;
                case JsonTokenType.String:
                    // An escaped string is never shorter than its text, so a short one cannot hold any value. The
                    // body is one span, so the reader never hands out a value sequence.
                    if (reader.ValueSpan.Length >= _shortest && IsValue(reader.GetString())) return true;
                    break;
                case JsonTokenType.Number:
                    if (property is not null && _keys.Contains(property) && _values.Contains(Encoding.UTF8.GetString(reader.ValueSpan))) return true;
                    break;
            }
        }
        return false;
    }

    private bool IsValue(string? text)
    {
        if (text is null || text.Length < _shortest) return false;
        var s = text.AsSpan().Trim();
        if (s.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) s = s[7..].Trim();
        return s.Length >= _shortest && _values.GetAlternateLookup<ReadOnlySpan<char>>().Contains(s);
    }
}
