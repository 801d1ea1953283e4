from callister.cli import console

console()
