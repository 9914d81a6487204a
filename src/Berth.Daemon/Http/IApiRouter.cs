namespace Berth.Daemon.Http;

/// <summary>One API object's routes (moby's router per object); the route table is the documentation.</summary>
internal interface IApiRouter
{
    void Map(ApiRouteTable routes);
}
