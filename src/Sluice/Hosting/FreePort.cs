using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Sluice.Hosting;

/// <summary>
/// A free loopback port, for the single silo's internal endpoints (several servers may share a machine). The port is
/// bound later by Orleans, so it is picked below Linux's ephemeral range (32768 and up by default): a port the kernel
/// hands out for an outgoing connection in between can then never take it, which the kernel's own pick (port 0)
/// allowed, and did under a busy test run.
/// </summary>
internal static class FreePort
{
    private const int From = 20_000;
    private const int To = 32_000;

    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = RandomNumberGenerator.GetInt32(From, To);
            if (IsFree(port)) return port;
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
