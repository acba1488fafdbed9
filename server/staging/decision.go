package staging

// Decisions a triager makes on a pending request. They name the buttons of its
// card and the decision dialog that follows a press.
const (
	DecisionApprove = "approve"
	DecisionDeny    = "deny"
)
