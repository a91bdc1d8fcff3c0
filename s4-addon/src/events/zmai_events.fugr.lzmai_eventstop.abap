FUNCTION-POOL zmai_events.                  "MESSAGE-ID ..
