package casefile

import "context"

type actorKey struct{}

// NewContextWithActor returns ctx carrying the name of who acts: a user name, "cli:<os user>",
// "import", "demo". Services record it in the audit ledger and in CreatedBy fields.
func NewContextWithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFromContext returns the actor set by NewContextWithActor, or "system".
func ActorFromContext(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}
