from bookctl.cli import main

main()
