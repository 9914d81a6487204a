namespace Berth.Daemon.Events;

/// <summary>Something that happened to an object ("container" "start" id {name, image}), as <c>/events</c> reports it.</summary>
internal sealed record DaemonEvent(string Type, string Action, string ActorId, IReadOnlyDictionary<string, string> Attributes, DateTimeOffset Time);
