"""The dashboard as a WSGI application for a production server (make dashboard runs gunicorn on it):
`gunicorn dashboards.wsgi:server`. Each worker process opens the published snapshot read-only."""
from dashboards.app import create_app

app = create_app()
server = app.server
