using System.Net;
using System.Net.Sockets;

namespace Sluice.Hosting;

/// <summary>A free loopback port, for the single silo's internal endpoints (several servers may share a machine).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
