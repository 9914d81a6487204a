namespace Berth.Daemon.Events;

/// <summary>What the services see of the event bus: fire and forget, never blocks on slow listeners.</summary>
internal interface IEventPublisher
{
    /// <summary>
    /// Publishes an event. Type: "container", "image", "volume", "network", "daemon". Action: Docker's verb ("create",
    /// "start", "die", "destroy", "pull", "tag", "untag", "delete"...). Attributes: "name", "image", "exitCode", labels.
    /// </summary>
    void Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string>? attributes = null);
}
