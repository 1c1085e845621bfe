"""The processes of the model, one module each. A process owns its state (columns in
the people store and its own structures), its parameters, its random stream, the
metrics it contributes and the invariants it guarantees (see base.Process)."""
