#!/bin/sh
# kubeit.sh - try memlock on a local cluster (kind or minikube): build the
# image from deploy/docker/Dockerfile, make a demo application image FROM
# it, load both into the cluster, apply the manifests, and show that the
# program runs as uid 1000 with its memory locked.
#
#   deploy/kubernetes/kubeit.sh               kind (the default)
#   CLUSTER=minikube deploy/kubernetes/kubeit.sh
#   ENGINE=podman deploy/kubernetes/kubeit.sh (build with podman)
#   APP=/path/to/your-program deploy/kubernetes/kubeit.sh
#   deploy/kubernetes/kubeit.sh --dry-run     print the commands only
#   deploy/kubernetes/kubeit.sh --delete      remove what it applied
#
# Without APP, the demo application is a shell that execs `sleep`: both
# are started through memlock-exec, so both are locked (the preload shim
# follows exec).  Needs: kubectl, kind or minikube, docker or podman.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cluster=${CLUSTER:-kind}
engine=${ENGINE:-docker}
ns=memlock
dry=
case ${1:-} in
--dry-run) dry=1 ;;
--delete)
	kubectl delete --ignore-not-found -f "$here/daemonset.yaml" -f "$here/deployment.yaml" \
	    -f "$here/pod.yaml" -f "$here/namespace.yaml"
	exit 0 ;;
-h|--help) sed -n '2,18p' "$0"; exit 0 ;;
"") ;;
*) echo "kubeit.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac
case $cluster in kind|minikube) ;; *) echo "kubeit.sh: CLUSTER is kind or minikube" >&2; exit 2 ;; esac

run() {
	echo "+ $*"
	[ -n "$dry" ] || "$@"
}

# 1. The images: memlock, and the application FROM it.
# (docker reads Dockerfile.dockerignore beside the Dockerfile by itself)
if [ "$engine" = podman ]; then
	run podman build --ignorefile "$top/deploy/docker/Dockerfile.dockerignore" \
	    -f "$top/deploy/docker/Dockerfile" -t memlock:latest "$top"
else
	run "$engine" build -f "$top/deploy/docker/Dockerfile" -t memlock:latest "$top"
fi
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
if [ -n "${APP:-}" ]; then
	cp "$APP" "$ctx/your-app"
else
	printf '#!/bin/sh\n# demo: a shell and the program it execs, both locked\nexec sleep infinity\n' > "$ctx/your-app"
fi
chmod 755 "$ctx/your-app"
printf 'FROM memlock:latest\nCOPY your-app /usr/local/bin/your-app\n' > "$ctx/Dockerfile"
run "$engine" build -t memlock-app:latest "$ctx"

# 2. Into the cluster (no registry).
for image in memlock:latest memlock-app:latest; do
	if [ "$cluster" = kind ]; then
		if [ "$engine" = podman ]; then
			run sh -c "podman save $image | kind load image-archive /dev/stdin"
		else
			run kind load docker-image "$image"
		fi
	else
		run minikube image load "$image"
	fi
done

# 3. The namespace (Pod Security: privileged enforce, restricted warn),
#    the Deployment with its memlock status probe, the node audit.
run kubectl apply -f "$here/namespace.yaml"
run kubectl apply -f "$here/deployment.yaml"
run kubectl apply -f "$here/daemonset.yaml"
run kubectl -n "$ns" rollout status deployment/memlock-app --timeout=120s

# 4. The proof: memlock check through memlock-exec, and memlock status of
#    the program (PID 1 of the container).
run kubectl -n "$ns" exec deployment/memlock-app -- memlock-exec memlock check
run kubectl -n "$ns" exec deployment/memlock-app -- memlock-exec memlock status 1
run kubectl -n "$ns" get pods -o wide
