#!/bin/sh
# Answers every connection on port 9000 with a fixed line.
while true; do echo "hello from api" | nc -l -p 9000; done
