// The storage queue that carries a location's shard of runs, named as the Runner names it (docs/deploy.md,
// "Autoscaling the runner scale set"): the default location's shard 0 is the plain runs queue, other locations
// append "-{location}", other shards "-{shard}". main.bicep's autoscale rules watch these queues.
@export()
@description('The run queue of one shard of one location.')
func runQueueName(runsQueue string, location string, shard int) string =>
  '${location == 'default' ? runsQueue : '${runsQueue}-${location}'}${shard == 0 ? '' : '-${shard}'}'
