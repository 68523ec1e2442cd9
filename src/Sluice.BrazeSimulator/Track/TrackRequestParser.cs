using System.Globalization;
using System.Text;
using System.Text.Json;
using Sluice.BrazeSimulator.Store;

namespace Sluice.BrazeSimulator.Track;

/// <summary>Validates a <c>/users/track</c> body by Braze's rules. An object with any error is rejected whole and
/// reported in <c>errors[]</c>; the others are applied.</summary>
internal sealed class TrackRequestParser(BrazeSimulatorOptions options)
{
    public const string NoValidDataMessage = "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.";
    private const int MaxStringLength = 255;
    private const int MaxExternalIdBytes = 987;

    private readonly HashSet<string> _blocked = new(options.BlockedExternalIds, StringComparer.OrdinalIgnoreCase);

    public TrackParseResult Parse(JsonElement root, DateTimeOffset now)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return TrackParseResult.Fatal("Invalid request body", "the body must be a JSON object");
        }

        var arrays = new (string Name, InputArray Kind, JsonElement Items)[3];
        var present = 0;
        foreach (var (name, kind) in new[] { ("attributes", InputArray.Attributes), ("events", InputArray.Events), ("purchases", InputArray.Purchases) })
        {
            if (!root.TryGetProperty(name, out var items) || items.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (items.ValueKind != JsonValueKind.Array)
            {
                return TrackParseResult.Fatal("Invalid request body", $"'{name}' must be an array");
            }

            arrays[present++] = (name, kind, items);
        }

        var result = new TrackParseResult();
        var total = 0;
        for (var i = 0; i < present; i++)
        {
            var length = arrays[i].Items.GetArrayLength();
            total += length;
            if (options.ObjectLimitMode == ObjectLimitMode.PerArray && length > options.MaxObjects)
            {
                return TrackParseResult.Fatal("Max Input Length Exceeded",
                    $"'{arrays[i].Name}' holds {length} objects; at most {options.MaxObjects} are allowed in each array");
            }

            switch (arrays[i].Kind)
            {
                case InputArray.Attributes: result.AttributesCount = length; break;
                case InputArray.Events: result.EventsCount = length; break;
                default: result.PurchasesCount = length; break;
            }
        }

        if (options.ObjectLimitMode == ObjectLimitMode.TotalAcrossArrays && total > options.MaxObjects)
        {
            return TrackParseResult.Fatal("Max Input Length Exceeded",
                $"attributes, events and purchases hold {total} objects; at most {options.MaxObjects} are allowed in total");
        }

        if (total == 0)
        {
            return TrackParseResult.Fatal(NoValidDataMessage);
        }

        for (var i = 0; i < present; i++)
        {
            var index = 0;
            foreach (var item in arrays[i].Items.EnumerateArray())
            {
                var parsed = ParseObject(item, arrays[i].Kind, index, now, result, out var error);
                if (error is not null)
                {
                    result.Errors.Add(new TrackObjectError(error, arrays[i].Name, index));
                }
                else if (parsed is not null)
                {
                    result.Objects.Add(parsed);
                }

                index++;
            }
        }

        return result;
    }

    private TrackObject? ParseObject(JsonElement obj, InputArray array, int index, DateTimeOffset now, TrackParseResult result, out string? error)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            error = TrackErrorTypes.NotAnObject;
            return null;
        }

        error = ReadIdentifier(obj, out var user);
        if (error is not null)
        {
            return null;
        }

        // Aliases and braze ids never create profiles unless told to; the default for the rest is configurable.
        var updateExistingOnly = user.Kind switch
        {
            IdentifierKind.UserAlias => true,
            IdentifierKind.BrazeId => true,
            _ => options.UpdateExistingOnlyDefault,
        };
        if (obj.TryGetProperty("_update_existing_only", out var flag) && flag.ValueKind != JsonValueKind.Null)
        {
            if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                error = TrackErrorTypes.InvalidValue;
                return null;
            }

            updateExistingOnly = flag.GetBoolean() || user.Kind == IdentifierKind.BrazeId;
        }

        return array switch
        {
            InputArray.Attributes => ParseAttributes(obj, index, user, updateExistingOnly, result, out error),
            InputArray.Events => ParseEvent(obj, index, user, updateExistingOnly, now, out error),
            _ => ParsePurchase(obj, index, user, updateExistingOnly, now, out error),
        };
    }

    private string? ReadIdentifier(JsonElement obj, out UserRef user)
    {
        user = default;
        var hasExternal = Present(obj, "external_id", out var external);
        var hasBraze = Present(obj, "braze_id", out var braze);
        var hasAlias = Present(obj, "user_alias", out var alias);
        if ((hasExternal ? 1 : 0) + (hasBraze ? 1 : 0) + (hasAlias ? 1 : 0) > 1)
        {
            return TrackErrorTypes.MultipleIdentifiers;
        }

        if (hasExternal)
        {
            if (external.ValueKind != JsonValueKind.String || external.GetString() is not { Length: > 0 } id)
            {
                return TrackErrorTypes.InvalidIdentifier;
            }

            if (Encoding.UTF8.GetByteCount(id) > MaxExternalIdBytes)
            {
                return TrackErrorTypes.ExternalIdTooLarge;
            }

            if (_blocked.Contains(id.Trim()))
            {
                return TrackErrorTypes.BlacklistedExternalId;
            }

            user = new UserRef(IdentifierKind.ExternalId, id);
            return null;
        }

        if (hasBraze)
        {
            if (braze.ValueKind != JsonValueKind.String || braze.GetString() is not { Length: > 0 } brazeId)
            {
                return TrackErrorTypes.InvalidIdentifier;
            }

            user = new UserRef(IdentifierKind.BrazeId, brazeId);
            return null;
        }

        if (hasAlias)
        {
            if (alias.ValueKind != JsonValueKind.Object
                || !alias.TryGetProperty("alias_name", out var name) || name.ValueKind != JsonValueKind.String
                || !alias.TryGetProperty("alias_label", out var label) || label.ValueKind != JsonValueKind.String
                || name.GetString() is not { Length: > 0 } aliasName || label.GetString() is not { Length: > 0 } aliasLabel)
            {
                return TrackErrorTypes.InvalidIdentifier;
            }

            user = new UserRef(IdentifierKind.UserAlias, aliasName, aliasLabel);
            return null;
        }

        // Email wins over phone when both are sent.
        if (Present(obj, "email", out var email))
        {
            if (email.ValueKind != JsonValueKind.String || !EmailFormat.IsValid(email.GetString()!))
            {
                return TrackErrorTypes.EmailBadFormat;
            }

            user = new UserRef(IdentifierKind.Email, email.GetString()!);
            return null;
        }

        if (Present(obj, "phone", out var phone))
        {
            if (phone.ValueKind != JsonValueKind.String || phone.GetString() is not { Length: > 0 } number)
            {
                return TrackErrorTypes.InvalidIdentifier;
            }

            user = new UserRef(IdentifierKind.Phone, number);
            return null;
        }

        return TrackErrorTypes.MissingIdentifier;
    }

    private TrackObject? ParseAttributes(JsonElement obj, int index, UserRef user, bool updateOnly, TrackParseResult result, out string? error)
    {
        error = null;
        var updates = new List<AttributeUpdate>();
        var dataPoints = 0;
        foreach (var property in obj.EnumerateObject())
        {
            var name = property.Name;
            if (name is "external_id" or "braze_id" or "user_alias" or "_update_existing_only"
                || (name == "email" && user.Kind == IdentifierKind.Email)
                || (name == "phone" && user.Kind == IdentifierKind.Phone))
            {
                continue;
            }

            error = ParseAttribute(name, property.Value, out var update, out var points);
            if (error is not null)
            {
                return null;
            }

            if (update is null)
            {
                result.DroppedNestedUpdates++;
                continue;
            }

            updates.Add(update);
            dataPoints += points;
        }

        return new TrackObject(InputArray.Attributes, index, user, updateOnly, dataPoints) { Attributes = updates };
    }

    /// <summary>Returns an error type, or null with <paramref name="update"/> set (null when a nested update is dropped).</summary>
    private string? ParseAttribute(string name, JsonElement value, out AttributeUpdate? update, out int dataPoints)
    {
        update = null;
        dataPoints = 1;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                update = new SetAttribute(name, null);
                return null;
            case JsonValueKind.String:
                var text = value.GetString()!;
                var standardError = CheckStandardAttribute(name, text);
                if (standardError is not null)
                {
                    return standardError;
                }

                var stringError = CheckLength(ref text);
                update = stringError is null ? new SetAttribute(name, text) : null;
                return stringError;
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                update = new SetAttribute(name, Scalar(value));
                return null;
            case JsonValueKind.Array:
                var arrayError = ReadScalarArray(value, out var values);
                update = arrayError is null ? new SetAttribute(name, values) : null;
                return arrayError;
            case JsonValueKind.Object:
                return ParseObjectAttribute(name, value, out update, out dataPoints);
            default:
                return TrackErrorTypes.InvalidValue;
        }
    }

    private string? ParseObjectAttribute(string name, JsonElement value, out AttributeUpdate? update, out int dataPoints)
    {
        update = null;
        dataPoints = 1;
        var onlyTime = true;
        var onlyAddRemove = true;
        var keys = 0;
        foreach (var p in value.EnumerateObject())
        {
            keys++;
            onlyTime &= p.NameEquals("$time");
            onlyAddRemove &= p.NameEquals("add") || p.NameEquals("remove");
            if (p.Name.StartsWith('$') && !p.NameEquals("$time"))
            {
                // $add/$update/$remove address arrays of objects, which the simulator does not model.
                return TrackErrorTypes.InvalidValue;
            }
        }

        if (keys > 0 && onlyTime)
        {
            var time = value.GetProperty("$time");
            if (time.ValueKind != JsonValueKind.String || !IsoDates.TryParse(time.GetString()!, out var when))
            {
                return TrackErrorTypes.InvalidDate;
            }

            update = new SetAttribute(name, new SimTime(when));
            return null;
        }

        if (keys > 0 && onlyAddRemove)
        {
            List<object> add = [];
            List<object> remove = [];
            if (value.TryGetProperty("add", out var addItems))
            {
                var e = ReadScalarArray(addItems, out add);
                if (e is not null)
                {
                    return e;
                }
            }

            var hasRemove = value.TryGetProperty("remove", out var removeItems);
            if (hasRemove)
            {
                var e = ReadScalarArray(removeItems, out remove);
                if (e is not null)
                {
                    return e;
                }
            }

            // Data points: one per added value, one for the remove call.
            dataPoints = Math.Max(1, add.Count + (hasRemove ? 1 : 0));
            update = new ModifyArray(name, add, remove);
            return null;
        }

        // A nested custom attribute. One invalid value drops this attribute's whole update, silently, as Braze does.
        var leaves = 0;
        var patch = ReadNested(value, 0, ref leaves);
        dataPoints = Math.Max(1, leaves);
        update = patch is null ? null : new MergeNested(name, patch);
        return null;
    }

    private Dictionary<string, object?>? ReadNested(JsonElement obj, int depth, ref int leaves)
    {
        if (depth > 32)
        {
            return null;
        }

        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            var v = p.Value;
            switch (v.ValueKind)
            {
                case JsonValueKind.Null:
                    result[p.Name] = null;
                    leaves++;
                    break;
                case JsonValueKind.String:
                    var text = v.GetString()!;
                    if (CheckLength(ref text) is not null)
                    {
                        return null;
                    }

                    result[p.Name] = text;
                    leaves++;
                    break;
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    result[p.Name] = Scalar(v);
                    leaves++;
                    break;
                case JsonValueKind.Array:
                    if (ReadScalarArray(v, out var items) is not null)
                    {
                        return null;
                    }

                    result[p.Name] = items;
                    leaves++;
                    break;
                case JsonValueKind.Object:
                    if (v.TryGetProperty("$time", out var t))
                    {
                        if (t.ValueKind != JsonValueKind.String || !IsoDates.TryParse(t.GetString()!, out var when))
                        {
                            return null;
                        }

                        result[p.Name] = new SimTime(when);
                        leaves++;
                        break;
                    }

                    var child = ReadNested(v, depth + 1, ref leaves);
                    if (child is null)
                    {
                        return null;
                    }

                    result[p.Name] = child;
                    break;
                default:
                    return null;
            }
        }

        return result;
    }

    private string? ReadScalarArray(JsonElement array, out List<object> values)
    {
        values = [];
        if (array.ValueKind != JsonValueKind.Array)
        {
            return TrackErrorTypes.InvalidValue;
        }

        foreach (var item in array.EnumerateArray())
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    var text = item.GetString()!;
                    var e = CheckLength(ref text);
                    if (e is not null)
                    {
                        return e;
                    }

                    values.Add(text);
                    break;
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    values.Add(Scalar(item));
                    break;
                default:
                    return TrackErrorTypes.InvalidValue;
            }
        }

        return null;
    }

    private string? CheckLength(ref string text)
    {
        if (text.Length <= MaxStringLength)
        {
            return null;
        }

        if (options.TruncateLongStrings)
        {
            text = text[..MaxStringLength];
            return null;
        }

        return TrackErrorTypes.ValueTooLong;
    }

    private static string? CheckStandardAttribute(string name, string text) => name switch
    {
        "email" when !EmailFormat.IsValid(text) => TrackErrorTypes.EmailBadFormat,
        "dob" when !IsoDates.IsDateOnly(text) => TrackErrorTypes.InvalidDate,
        "date_of_first_session" or "date_of_last_session" when !IsoDates.TryParse(text, out _) => TrackErrorTypes.InvalidDate,
        "gender" when text is not ("M" or "F" or "O" or "N" or "P") => TrackErrorTypes.InvalidGender,
        "email_subscribe" or "push_subscribe" when text is not ("opted_in" or "subscribed" or "unsubscribed") =>
            TrackErrorTypes.BadSubscriptionState,
        _ => null,
    };

    // Integral numbers are kept as long so that 3 and 3.0 are one value in an array set.
    private static object Scalar(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.True)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.False)
        {
            return false;
        }

        if (value.TryGetInt64(out var l))
        {
            return l;
        }

        var d = value.GetDouble();
        return d == Math.Floor(d) && Math.Abs(d) < 9e15 ? (object)(long)d : d;
    }

    private static TrackObject? ParseEvent(JsonElement obj, int index, UserRef user, bool updateOnly, DateTimeOffset now, out string? error)
    {
        error = null;
        if (!obj.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
            || name.GetString() is not { Length: > 0 and <= MaxStringLength } eventName)
        {
            error = TrackErrorTypes.InvalidEventName;
            return null;
        }

        if (!TryReadTime(obj, now, out var time))
        {
            error = TrackErrorTypes.InvalidDate;
            return null;
        }

        if (obj.TryGetProperty("properties", out var props) && props.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            error = TrackErrorTypes.InvalidValue;
            return null;
        }

        return new TrackObject(InputArray.Events, index, user, updateOnly, 1) { Event = new TrackEvent(eventName, time) };
    }

    private static TrackObject? ParsePurchase(JsonElement obj, int index, UserRef user, bool updateOnly, DateTimeOffset now, out string? error)
    {
        error = null;
        if (!obj.TryGetProperty("product_id", out var product) || product.ValueKind != JsonValueKind.String
            || product.GetString() is not { Length: > 0 and <= MaxStringLength } productId)
        {
            error = TrackErrorTypes.InvalidProductId;
            return null;
        }

        if (!obj.TryGetProperty("currency", out var currency) || currency.ValueKind != JsonValueKind.String
            || currency.GetString() is not { Length: 3 } code || !code.All(char.IsAsciiLetter))
        {
            error = TrackErrorTypes.InvalidCurrency;
            return null;
        }

        if (!obj.TryGetProperty("price", out var price) || price.ValueKind != JsonValueKind.Number || !price.TryGetDecimal(out var amount))
        {
            error = TrackErrorTypes.InvalidPrice;
            return null;
        }

        var quantity = 1;
        if (obj.TryGetProperty("quantity", out var q) && q.ValueKind != JsonValueKind.Null
            && (!q.TryGetInt32(out quantity) || quantity is < 1 or > 100))
        {
            error = TrackErrorTypes.InvalidQuantity;
            return null;
        }

        if (!TryReadTime(obj, now, out var time))
        {
            error = TrackErrorTypes.InvalidDate;
            return null;
        }

        var purchase = new TrackPurchase(productId, code.ToUpperInvariant(), amount, quantity, time);
        return new TrackObject(InputArray.Purchases, index, user, updateOnly, 1) { Purchase = purchase };
    }

    // Braze clamps times in the future to now.
    private static bool TryReadTime(JsonElement obj, DateTimeOffset now, out DateTimeOffset time)
    {
        time = default;
        if (!obj.TryGetProperty("time", out var t) || t.ValueKind != JsonValueKind.String || !IsoDates.TryParse(t.GetString()!, out time))
        {
            return false;
        }

        time = time > now ? now : time;
        return true;
    }

    private static bool Present(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
}
