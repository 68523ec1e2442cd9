namespace Sluice.Auth;

/// <summary>Roles as Lytics names them. Roles are additive; <see cref="Admin"/> implies every other.</summary>
internal enum Role
{
    Observer,
    Marketer,
    AudienceManager,
    DataManager,
    Admin,
}
