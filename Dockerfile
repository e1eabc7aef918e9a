# One small image with the static binaries, built outside Docker (make build-static): no base image is pulled, so
# it builds with no registry. FROM scratch has no shell: entrypoints and health checks call the binaries directly
# (`tokenmindd status` for chain nodes, `neuron health` for neurons).
FROM scratch
COPY build/static/tokenmindd /usr/local/bin/tokenmindd
COPY build/static/neuron /usr/local/bin/neuron
ENV HOME=/data
WORKDIR /data
ENTRYPOINT ["/usr/local/bin/tokenmindd"]
CMD ["start", "--home", "/data"]
