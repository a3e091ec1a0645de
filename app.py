from dealer import create_app

app = create_app()
