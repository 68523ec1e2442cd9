using Sluice.Profiles;

namespace Sluice.Tests;

/// <summary>
/// A profile's sources are keyed <c>name:value</c>; they are found without building that key, so the order used to find
/// them must be the ordinal order of the built key, for any name and value (a colon inside either included).
/// </summary>
public sealed class ProfileDocumentSourceTests
{
    private static readonly string[] Parts = ["", "a", "b", "ab", "a:b", ":", "email", "emai", "email:", "x@y.z", "é", "z", "A", "~", "9"];

    [Fact]
    public void Comparing_a_key_to_its_parts_agrees_with_comparing_it_to_the_built_key()
    {
        foreach (var key in Parts.SelectMany(n => Parts.Select(v => n + ":" + v)).Concat(Parts))
        {
            foreach (var name in Parts)
            {
                foreach (var value in Parts)
                {
                    var expected = Math.Sign(string.CompareOrdinal(key, name + ":" + value));
                    Assert.True(expected == Math.Sign(ProfileDocument.CompareSourceKey(key, name, value)), $"{key} against {name}:{value}");
                }
            }
        }
    }

    [Fact]
    public void Sources_added_by_parts_are_those_a_built_key_finds()
    {
        var doc = new ProfileDocument();
        var added = new List<(string Name, string Value, string Stream)>();
        foreach (var name in Parts)
        {
            foreach (var value in Parts)
            {
                doc.AddSource(name, value, "s1");
                doc.AddSource(name, value, "s2");
                doc.AddSource(name, value, "s1");
                added.Add((name, value, "s1"));
            }
        }

        Assert.Equal(added.Select(a => a.Name + ":" + a.Value).Distinct().Count(), doc.Sources.Count);
        foreach (var (name, value, _) in added)
        {
            Assert.Equal(new[] { "s1", "s2" }, doc.Sources[name + ":" + value].ToArray());
        }
    }
}
