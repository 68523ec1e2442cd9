namespace Sluice.Jobs;

/// <summary>The workflows this node knows, by name.</summary>
internal sealed class JobWorkflows(IEnumerable<IJobWorkflow> workflows)
{
    private readonly Dictionary<string, IJobWorkflow> _byName = workflows.ToDictionary(w => w.Name, StringComparer.Ordinal);

    public IEnumerable<string> Names => _byName.Keys.Order(StringComparer.Ordinal);

    public IJobWorkflow? Find(string name) => _byName.GetValueOrDefault(name);
}
