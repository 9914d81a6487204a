namespace Berth.Daemon.Containers;

/// <summary>go-units HumanDuration, which Docker's ps Status column uses ("Up 3 minutes", "Exited (0) 2 hours ago").</summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan duration)
    {
        double seconds = duration.TotalSeconds;
        if (seconds < 1)
            return "Less than a second";
        if ((int)seconds == 1)
            return "1 second";
        if (seconds < 60)
            return $"{(int)seconds} seconds";
        int minutes = (int)duration.TotalMinutes;
        if (minutes == 1)
            return "About a minute";
        if (minutes < 60)
            return $"{minutes} minutes";
        int hours = (int)Math.Round(duration.TotalHours);
        if (hours == 1)
            return "About an hour";
        if (hours < 48)
            return $"{hours} hours";
        if (hours < 24 * 7 * 2)
            return $"{hours / 24} days";
        if (hours < 24 * 30 * 2)
            return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2)
            return $"{hours / 24 / 30} months";
        return $"{(int)(duration.TotalHours / 24 / 365)} years";
    }
}
