using Microsoft.AspNetCore.Http;
using Sluice.Auth;
using Sluice.Collect;

namespace Sluice.Tests;

/// <summary>
/// The request path reads its token and collect options from the raw query string when it can; whenever it does,
/// it reads what the parsed query collection holds.
/// </summary>
public sealed class RawQueryReadingTests
{
    public static TheoryData<string> Queries =>
    [
        "",
        "?",
        "?key=slc_abc",
        "?KEY=slc_abc&dryrun=true",
        "?key=slc_abc&key=slc_abc",
        "?key=&access_token=slc_abc",
        "?access_token=slc_abc&key=slc_def",
        "?key",
        "?key= slc_abc ",
        "?key=slc%5Fabc",
        "?k%65y=slc_abc",
        "?key=slc+abc",
        "?key=a=b&&dryrun",
        "?dryrun=1&droperrors=T",
        "?dryrun=yes&droperrors=false",
        "?dryrun=true&DryRun=true",
        "?timestamp_field=%20when%20&filename=a.json",
        "?timestamp_field=when&filename=",
        "?timestamp_field=&filename=%20",
        "?timestamp_field=a&timestamp_field=b",
        "?droperrors&dryrun=&x=1",
        "?email=a%40b.c&key=slc_abc&dryrun=t",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void The_plain_token_is_the_one_the_full_reading_finds(string query)
    {
        foreach (var header in new[] { null, "Bearer slc_hdr", " slc_hdr ", "Bearer  " })
        {
            var request = Request(query, header);
            if (TokenExtraction.TryFindPlain(request, out var plain)) Assert.Equal(TokenExtraction.Find(request), plain.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Collect_options_read_raw_equal_those_of_the_parsed_query(string query)
    {
        var request = Request(query, null);
        Assert.Equal(CollectParameters.From(request.Query), CollectParameters.From(request));
    }

    [Fact]
    public void A_plain_query_token_or_header_token_is_found_without_the_full_reading()
    {
        Assert.True(TokenExtraction.TryFindPlain(Request("?key=slc_abc&dryrun=true", null), out var fromQuery));
        Assert.Equal("slc_abc", fromQuery.ToString());
        Assert.True(TokenExtraction.TryFindPlain(Request("?dryrun=true", "Bearer slc_hdr"), out var fromHeader));
        Assert.Equal("slc_hdr", fromHeader.ToString());
    }

    private static HttpRequest Request(string query, string? authorization)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        if (authorization is not null) http.Request.Headers.Authorization = authorization;
        return http.Request;
    }
}
