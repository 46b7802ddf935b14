"""The WhatsApp conversation: flows as tables of states, and every sentence users see."""
