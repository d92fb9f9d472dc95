/// The parts of Kubernetes' `kubectl get nodes -o json` and `kubectl get pods -A -o json` documents that
/// GPUPool reads. Every field is optional: real clusters omit what they do not use.
struct KubernetesList<Item: Decodable>: Decodable {
    var kind: String?
    var items: [Item]?
}

struct KubernetesMetadata: Decodable {
    var name: String?
    var namespace: String?
    var labels: [String: String]?
}

struct KubernetesNodeObject: Decodable {
    var kind: String?
    var metadata: KubernetesMetadata?
    var spec: Spec?
    var status: Status?

    struct Spec: Decodable {
        var unschedulable: Bool?
        var taints: [Taint]?
    }
    struct Taint: Decodable {
        var key: String?
        var value: String?
        var effect: String?
    }
    struct Status: Decodable {
        var capacity: [String: String]?
        var allocatable: [String: String]?
        var conditions: [Condition]?
    }
    struct Condition: Decodable {
        var type: String?
        var status: String?
        var reason: String?
    }
}

struct KubernetesPodObject: Decodable {
    var kind: String?
    var metadata: KubernetesMetadata?
    var spec: Spec?
    var status: Status?

    struct Spec: Decodable {
        var nodeName: String?
        var containers: [Container]?
        var initContainers: [Container]?
    }
    struct Container: Decodable {
        var name: String?
        var resources: Resources?
    }
    struct Resources: Decodable {
        var limits: [String: String]?
        var requests: [String: String]?
    }
    struct Status: Decodable {
        var phase: String?
    }
}
