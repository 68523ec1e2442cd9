using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Sluice.Import.Sftp;

/// <summary>
/// A new Ed25519 key pair in OpenSSH's formats: the public key line people add to <c>authorized_keys</c>, and the
/// unencrypted <c>openssh-key-v1</c> private key that SSH.NET reads (it is encrypted at rest as a secret instead).
/// </summary>
internal sealed record OpenSshKeyPair(string PublicKeyLine, string PrivateKey)
{
    private const string KeyType = "ssh-ed25519";

    public static OpenSshKeyPair Generate(string comment)
    {
        var privateKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        var seed = privateKey.GetEncoded();
        var publicKey = privateKey.GeneratePublicKey().GetEncoded();

        var publicBlob = new Writer();
        publicBlob.String(KeyType);
        publicBlob.String(publicKey);
        var publicBytes = publicBlob.ToArray();

        var secret = new Writer();
        var check = RandomNumberGenerator.GetInt32(int.MaxValue);
        secret.UInt32((uint)check);
        secret.UInt32((uint)check);
        secret.String(KeyType);
        secret.String(publicKey);
        secret.String([.. seed, .. publicKey]);
        secret.String(Encoding.UTF8.GetBytes(comment));
        // Padded to the cipher block size, 8 for "none", with the bytes 1, 2, 3, ...
        for (byte pad = 1; secret.Length % 8 != 0; pad++) secret.Byte(pad);

        var file = new Writer();
        file.Raw("openssh-key-v1\0"u8);
        file.String("none");
        file.String("none");
        file.String(ReadOnlySpan<byte>.Empty);
        file.UInt32(1);
        file.String(publicBytes);
        file.String(secret.ToArray());

        var pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        var body = Convert.ToBase64String(file.ToArray());
        for (var i = 0; i < body.Length; i += 70) pem.Append(body, i, Math.Min(70, body.Length - i)).Append('\n');
        pem.Append("-----END OPENSSH PRIVATE KEY-----\n");
        return new OpenSshKeyPair($"{KeyType} {Convert.ToBase64String(publicBytes)} {comment}", pem.ToString());
    }

    /// <summary>The SSH wire encoding: big-endian lengths before strings.</summary>
    private sealed class Writer
    {
        private readonly MemoryStream _buffer = new();

        public long Length => _buffer.Length;

        public void Byte(byte b) => _buffer.WriteByte(b);

        public void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

        public void UInt32(uint value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            _buffer.Write(bytes);
        }

        public void String(string text) => String(Encoding.ASCII.GetBytes(text));

        public void String(ReadOnlySpan<byte> bytes)
        {
            UInt32((uint)bytes.Length);
            _buffer.Write(bytes);
        }

        public byte[] ToArray() => _buffer.ToArray();
    }
}
